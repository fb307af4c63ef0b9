/* display_probe: thin on purpose; the arithmetic is legibility's. */
#include "display_probe.h"

#include "legibility.h"

#include <SDL_ttf.h>

double display_probe_px_per_mm(SDL_Window *window, int w, int h, double diagonal_in,
			       const char **source)
{
	*source = "screen-diagonal";
	if (diagonal_in > 0)
		return legibility_px_per_mm(w, h, diagonal_in);
	*source = "the display's DPI";
	float ddpi = 0, hdpi = 0, vdpi = 0;
	int display = window ? SDL_GetWindowDisplayIndex(window) : -1;
	/* a panel under 10 cm or over 10 m wide is a driver's guess, not EDID */
	if (display >= 0 && SDL_GetDisplayDPI(display, &ddpi, &hdpi, &vdpi) == 0 && hdpi > 0 &&
	    w / (hdpi / 25.4) > 100 && w / (hdpi / 25.4) < 10000)
		return hdpi / 25.4;
	*source = "unknown";
	return 0;
}

double display_probe_cap_ratio(const char *font_path)
{
	enum { PROBE_PX = 200 };
	if (TTF_Init() != 0) /* counted: paired with the TTF_Quit below */
		return 0;
	double r = 0;
	TTF_Font *f = TTF_OpenFont(font_path, PROBE_PX);
	int minx, maxx, miny, maxy, adv;
	if (f && TTF_GlyphMetrics32(f, 'H', &minx, &maxx, &miny, &maxy, &adv) == 0 && maxy > 0)
		r = (double)maxy / PROBE_PX;
	if (f)
		TTF_CloseFont(f);
	TTF_Quit();
	return r;
}
