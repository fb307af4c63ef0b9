/* png_out: writes an SDL surface as a PNG file (libpng), replacing the file
 * atomically so a reader never sees half a picture. */
#ifndef VB_PNG_OUT_H
#define VB_PNG_OUT_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

/* Writes surface (any format; converted as needed) to path. False with err
 * filled on failure. */
bool png_out_write(const char *path, SDL_Surface *surface, char *err, size_t err_cap);

/* Encodes surface as PNG into a malloc'd buffer (*out, caller frees; *len
 * bytes): the kiosk's heartbeat thumbnail. False with err filled. */
bool png_out_encode(SDL_Surface *surface, unsigned char **out, size_t *len, char *err,
		    size_t err_cap);

#endif
