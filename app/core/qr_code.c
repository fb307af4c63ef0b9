/* qr_code: libqrencode's module grid copied into a fixed buffer (the kiosk
 * encodes its one URL once) and drawn as runs, so a code is a few hundred
 * rectangles in the draw list rather than a picture the renderer must know. */
#include "qr_code.h"

#include <qrencode.h>
#include <string.h>

bool qr_code_make(struct qr_code *q, const char *text)
{
	q->side = 0;
	size_t n = text ? strnlen(text, QR_CODE_MAX_TEXT + 1) : 0;
	if (n == 0 || n > QR_CODE_MAX_TEXT)
		return false;
	QRcode *c = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!c)
		return false;
	if (c->width > 0 && c->width <= QR_CODE_MAX_SIDE) {
		q->side = c->width;
		/* libqrencode's bit 0 of each byte: dark */
		for (int i = 0; i < c->width * c->width; i++)
			q->dark[i] = c->data[i] & 1;
	}
	QRcode_free(c);
	return q->side > 0;
}

int qr_code_side_px(const struct qr_code *q, int module_px)
{
	return q->side > 0 ? (q->side + 2 * QR_CODE_QUIET) * module_px : 0;
}

void qr_code_draw(const struct qr_code *q, struct draw_list *dl, int x, int y, int module_px)
{
	if (q->side <= 0 || module_px <= 0)
		return;
	const struct draw_color light = {255, 255, 255}, dark = {0, 0, 0};
	int s = qr_code_side_px(q, module_px), ox = x + QR_CODE_QUIET * module_px,
	    oy = y + QR_CODE_QUIET * module_px;
	draw_list_rect(dl, x, y, s, s, light);
	for (int r = 0; r < q->side; r++) {
		const unsigned char *row = q->dark + (size_t)r * (size_t)q->side;
		for (int c = 0; c < q->side;) {
			if (!row[c]) {
				c++;
				continue;
			}
			int start = c;
			while (c < q->side && row[c])
				c++;
			draw_list_rect(dl, ox + start * module_px, oy + r * module_px,
				       (c - start) * module_px, module_px, dark);
		}
	}
}
