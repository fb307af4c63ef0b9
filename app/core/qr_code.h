/* qr_code: a QR code (libqrencode) as plain data, and as filled modules in a
 * draw list with its quiet zone: the hallway board's link to the phone page. */
#ifndef VB_QR_CODE_H
#define VB_QR_CODE_H

#include <stdbool.h>
#include <stddef.h>

#include "draw_list.h"

enum {
	QR_CODE_MAX_TEXT = 512, /* bytes encoded: a URL, not a document */
	QR_CODE_MAX_SIDE = 177, /* modules of version 40 */
	QR_CODE_QUIET = 4,      /* modules of light margin each side (ISO 18004) */
};

struct qr_code {
	int side;                                                /* modules per side; 0: none */
	unsigned char dark[QR_CODE_MAX_SIDE * QR_CODE_MAX_SIDE]; /* row by row, 1 = dark */
};

/* Encodes text (at most QR_CODE_MAX_TEXT bytes) in 8-bit mode at error
 * correction level M, the smallest version that holds it. False (q->side 0)
 * when text is empty, too long, or libqrencode fails. Caller owns q. */
bool qr_code_make(struct qr_code *q, const char *text);

/* Pixels per side of q drawn with modules of module_px, quiet zone included. */
int qr_code_side_px(const struct qr_code *q, int module_px);

/* Draws q with its top-left (quiet zone included) at (x, y): one light square
 * (white) over the quiet zone and the code, then each row's runs of dark
 * modules (black) as rectangles: black on white whatever the theme, which
 * every phone's reader takes. */
void qr_code_draw(const struct qr_code *q, struct draw_list *dl, int x, int y, int module_px);

#endif
