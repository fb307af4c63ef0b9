/* display_probe: what legibility needs to know of the hardware — how many
 * pixels make a millimetre on this panel, and how tall a font's capitals
 * are — asked of SDL and SDL_ttf at start, handed to the pure layout. */
#ifndef VB_DISPLAY_PROBE_H
#define VB_DISPLAY_PROBE_H

#include <SDL.h>

/* Pixels per millimetre of a w x h pixel panel: from diagonal_in when it is
 * set (the operator knows best: X servers often report a made-up 96 DPI),
 * else from the display's DPI (EDID, on X11 and KMS where the driver gives
 * it; window may be NULL: a screenshot has no display). 0 when neither is
 * known. *source (static) says which it was. */
double display_probe_px_per_mm(SDL_Window *window, int w, int h, double diagonal_in,
			       const char **source);

/* The height of the font's capitals ('H', baseline to top) as a fraction of
 * its pixel size, measured; 0 when the font cannot be opened. */
double display_probe_cap_ratio(const char *font_path);

#endif
