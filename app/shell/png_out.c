/* png_out: an SDL surface as PNG with libpng, into memory or over a file
 * (file_io_replace: a reader never sees half a picture). */
#include "png_out.h"

#include "file_io.h"

#include <errno.h>
#include <png.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct png_fail {
	char msg[200];
};

static void set_err(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t cap, const char *fmt, ...)
{
	if (!err || cap == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

static void on_error(png_structp png, png_const_charp msg)
{
	struct png_fail *f = png_get_error_ptr(png);
	snprintf(f->msg, sizeof(f->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void write_rows(png_structp png, const SDL_Surface *rgba)
{
	const png_byte *p = rgba->pixels;
	for (int y = 0; y < rgba->h; y++)
		png_write_row(png, p + (size_t)y * (size_t)rgba->pitch);
}

/* rgba: SDL_PIXELFORMAT_RGBA32 (bytes R, G, B, A); alpha false drops A. */
static bool encode(FILE *fp, const SDL_Surface *rgba, bool alpha, struct png_fail *fail)
{
	png_structp png =
		png_create_write_struct(PNG_LIBPNG_VER_STRING, fail, on_error, on_warning);
	if (!png) {
		snprintf(fail->msg, sizeof(fail->msg), "out of memory");
		return false;
	}
	png_infop info = png_create_info_struct(png);
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		snprintf(fail->msg, sizeof(fail->msg), "out of memory");
		return false;
	}
	/* png and info are not changed past this point, so they survive longjmp */
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return false;
	}
	png_init_io(png, fp);
	png_set_IHDR(png, info, (png_uint_32)rgba->w, (png_uint_32)rgba->h, 8,
		     alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	if (!alpha)
		png_set_filler(png, 0, PNG_FILLER_AFTER); /* strip the A of each RGBA pixel */
	write_rows(png, rgba);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return true;
}

bool png_out_write(const char *path, SDL_Surface *surface, char *err, size_t err_cap)
{
	if (!path || !surface || surface->w <= 0 || surface->h <= 0) {
		set_err(err, err_cap, "png_out: %s: nothing to write (no path or empty surface)",
			path ? path : "(null)");
		return false;
	}
	unsigned char *png;
	size_t len;
	char why[200];
	if (!png_out_encode(surface, &png, &len, why, sizeof(why))) {
		set_err(err, err_cap, "%s (for %s)", why, path);
		return false;
	}
	bool ok = file_io_replace(path, png, len);
	if (!ok)
		set_err(err, err_cap, "png_out: %s: %s", path, strerror(errno));
	free(png);
	return ok;
}

bool png_out_encode(SDL_Surface *surface, unsigned char **out, size_t *len, char *err,
		    size_t err_cap)
{
	*out = NULL;
	*len = 0;
	SDL_Surface *rgba = SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_RGBA32, 0);
	if (!rgba) {
		set_err(err, err_cap, "png_out: converting the surface: %s", SDL_GetError());
		return false;
	}
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size); /* the same encoder, into memory */
	struct png_fail fail = {""};
	bool ok = fp && encode(fp, rgba, surface->format->Amask != 0, &fail);
	SDL_FreeSurface(rgba);
	if (fp && fclose(fp) != 0)
		ok = false;
	if (!ok) {
		set_err(err, err_cap, "png_out: encoding: %s", fp ? fail.msg : strerror(errno));
		free(buf);
		return false;
	}
	*out = (unsigned char *)buf;
	*len = size;
	return true;
}
