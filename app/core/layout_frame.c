/* layout_frame: sizes in layout_kit's design units, like the rest. */
#include "layout_frame.h"

#include "board.h"
#include "civil_time.h"
#include "i18n.h"
#include "kiosk_config.h"
#include "qr_code.h"
#include "schedule.h"

#include <stdio.h>
#include <string.h>

const char *layout_frame_title(const struct layout_input *in)
{
	const struct schedule *s = in->board->schedule;
	if (in->cfg->title[0])
		return in->cfg->title;
	if (s && s->title && *s->title)
		return s->title;
	return in->cfg->venue; /* "" when unset: no name rather than the product's */
}

int layout_frame_header(const struct layout_kit *k, const struct layout_input *in,
			const char *title)
{
	return layout_frame_header_qr(k, in, title, NULL);
}

int layout_frame_header_qr(const struct layout_kit *k, const struct layout_input *in,
			   const char *title, bool *qr_shown)
{
	const struct theme *th = k->th;
	int h = layout_kit_px(k, 118), m = layout_kit_px(k, 32);
	char clock[8] = "--:--", date[96] = "";
	if (!in->clock_untrusted) {
		struct civil today;
		layout_kit_local(k, in->now_ms / 1000, &today);
		layout_kit_hhmm(k, in->now_ms / 1000, clock);
		i18n_date(k->lang, &today, date, sizeof(date));
	}
	int csize = layout_kit_px(k, 76), cw = layout_kit_measure(k, FONT_BOLD, csize, clock);
	int cx = in->width - m - cw, clh = layout_kit_line_h(k, FONT_BOLD, csize);
	int dsize = layout_kit_px(k, 30), dw = layout_kit_measure(k, FONT_REGULAR, dsize, date);
	int tsize = layout_kit_px(k, 42), wsize = layout_kit_px(k, 28), gap = layout_kit_px(k, 24);
	/* the date beside the clock when the title still fits, else on the
	 * second line (portrait screens, long conference names) */
	int beside_w = cx - 3 * m - dw - gap;
	bool date_beside = layout_kit_measure(k, FONT_BOLD, tsize, title) <= beside_w;
	int left_w = date_beside ? beside_w : cx - 2 * m;
	char where[2 * KIOSK_MAX_NAME + 120];
	const char *venue = title == in->cfg->venue ? "" : in->cfg->venue; /* said once */
	snprintf(where, sizeof(where), "%s%s%s", venue, venue[0] && in->cfg->floor[0] ? " · " : "",
		 in->cfg->floor);
	/* the phone page's code between the title and the date: the header
	 * grows a little for it (at most to 150 design units) rather than the
	 * panels below losing a corner */
	/* (the code's own light quiet zone sets it apart: a thin pad will do) */
	int qr_right = 0, qr_max_w = 0, qw = 0, qh = 0, pad = layout_kit_px(k, 3);
	if (qr_shown) {
		*qr_shown = false;
		int tw = layout_kit_measure(k, FONT_BOLD, tsize, title);
		int ww = layout_kit_measure(k, FONT_REGULAR, wsize, where);
		int used = m + (tw > ww ? tw : ww) + gap;
		qr_right = (date_beside ? cx - gap - dw : cx) - gap;
		qr_max_w = qr_right - used;
		/* modules of 3 design units (phones read it from arm's length) */
		int module = layout_kit_px(k, 3) > 3 ? layout_kit_px(k, 3) : 3;
		int side = in->mobile_qr ? qr_code_side_px(in->mobile_qr, module) : 0;
		if (date_beside && qr_max_w > 0 && side > 0 &&
		    side <= layout_kit_px(k, 150) - 2 * pad)
			layout_frame_qr(k, in, qr_right, 0, qr_max_w, side, true, false, &qw, &qh);
		if (qh > 0) {
			*qr_shown = true;
			left_w = used - m;
			if (qh + 2 * pad > h)
				h = qh + 2 * pad;
		}
	}
	draw_list_rect(k->dl, 0, 0, in->width, h, th->panel);
	draw_list_text(k->dl, cx, (h - clh) / 2, cw, clh, FONT_BOLD, csize, th->text, clock,
		       SIZE_MAX);
	if (qh > 0)
		layout_frame_qr(k, in, qr_right, (h + qh) / 2, qr_max_w, qh, true, true, &qw, &qh);
	if (date_beside) {
		int dlh = layout_kit_line_h(k, FONT_REGULAR, dsize);
		draw_list_text(k->dl, cx - gap - dw, (h - dlh) / 2, dw, dlh, FONT_REGULAR, dsize,
			       th->muted, date, SIZE_MAX);
	}
	if (title[0])
		layout_kit_text(k, m, layout_kit_px(k, 14), FONT_BOLD, tsize, th->text, title,
				left_w);
	if (!date_beside) {
		size_t o = strlen(where);
		snprintf(where + o, sizeof(where) - o, "%s%s", o ? " · " : "", date);
	}
	if (where[0])
		layout_kit_text(k, m, layout_kit_px(k, 70), FONT_REGULAR, wsize, th->muted, where,
				left_w);
	return h;
}

int layout_frame_notices_h(const struct layout_kit *k)
{
	return layout_kit_px(k, 72);
}

int layout_frame_notices(const struct layout_kit *k, const struct layout_input *in, int y,
			 int *shown_n)
{
	const struct board *b = in->board;
	const struct board_notice *mine[BOARD_MAX_NOTICES];
	size_t n = 0;
	for (size_t i = 0; i < b->n_notices; i++)
		if (board_notice_shown(&b->notices[i], in->screen, in->now_ms))
			mine[n++] = &b->notices[i];
	if (shown_n)
		*shown_n = (int)n;
	if (!n)
		return y;
	int h = layout_frame_notices_h(k), m = layout_kit_px(k, 32), size = layout_kit_px(k, 34);
	int lsize = layout_kit_px(k, 26);
	size_t shown = (size_t)(in->page_tick % (int64_t)n);
	draw_list_rect(k->dl, 0, y, in->width, h, k->th->notice_bg);
	char label[48];
	snprintf(label, sizeof(label), "%zu/%zu", shown + 1, n);
	int lw = n > 1 ? layout_kit_measure(k, FONT_REGULAR, lsize, label) + m : 0;
	layout_kit_text(k, m, y + (h - layout_kit_line_h(k, FONT_BOLD, size)) / 2, FONT_BOLD, size,
			k->th->notice_text, mine[shown]->text, in->width - 2 * m - lw);
	if (lw)
		layout_kit_text(k, in->width - lw,
				y + (h - layout_kit_line_h(k, FONT_REGULAR, lsize)) / 2,
				FONT_REGULAR, lsize, k->th->notice_text, label, lw);
	return y + h;
}

int layout_frame_footer_h(const struct layout_kit *k)
{
	return layout_kit_px(k, 58);
}

/* The freshness line's words: offline or failing since when, then when the
 * server last vouched for the schedule and how long ago — never fresher
 * than it is (a failing or silent feed vouches for nothing). */
static void footer_text(const struct layout_kit *k, const struct layout_input *in, bool narrow,
			char *msg, size_t cap)
{
	const struct layout_feed *f = &in->feed;
	char a[200] = "", b[200] = "", clock[8];
	if (f->offline) {
		layout_kit_hhmm(k, f->offline_since_ms / 1000, clock);
		if (narrow)
			i18n_offline_short(k->lang, clock, a, sizeof(a));
		else
			i18n_offline_since(k->lang, clock, a, sizeof(a));
	} else if (f->failing) {
		layout_kit_hhmm(k, f->failing_since_ms / 1000, clock);
		i18n_failing_since(k->lang, clock, narrow, a, sizeof(a));
	}
	if (f->have && (f->offline || f->failing || f->from_cache)) {
		int64_t at = f->confirmed_ms > f->received_ms ? f->confirmed_ms : f->received_ms;
		int age = (int)((in->now_ms - at) / 1000);
		layout_kit_hhmm(k, at / 1000, clock);
		if (f->from_cache || at > f->received_ms)
			i18n_confirmed_at(k->lang, clock, age < 0 ? 0 : age, narrow, b, sizeof(b));
		else
			i18n_saved_at(k->lang, clock, age < 0 ? 0 : age, b, sizeof(b));
	} else if (f->have) {
		/* steps of 10 s: the line need not redraw the screen every second */
		i18n_updated_ago(k->lang, f->age_s < 60 ? f->age_s / 10 * 10 : f->age_s, b,
				 sizeof(b));
	}
	snprintf(msg, cap, "%s%s%s", a, a[0] && b[0] ? " · " : "", b);
}

int layout_frame_footer(const struct layout_kit *k, const struct layout_input *in, int page,
			int pages)
{
	const struct layout_feed *f = &in->feed;
	const struct theme *th = k->th;
	int h = layout_frame_footer_h(k), y = in->height - h, m = layout_kit_px(k, 32);
	int size = layout_kit_px(k, 28);
	bool calm = f->offline || f->failing || (f->from_cache && f->have);
	draw_list_rect(k->dl, 0, y, in->width, h, calm ? th->calm_bg : th->panel);
	struct draw_color fg = calm ? th->calm_text : th->muted;
	char msg[400] = "", label[32] = "";
	if (pages > 1)
		snprintf(label, sizeof(label), "%d / %d", page + 1, pages);
	int pw = label[0] ? layout_kit_measure(k, FONT_BOLD, size, label) : 0;
	enum draw_font font = calm ? FONT_BOLD : FONT_REGULAR;
	/* on a narrow screen in fewer words, never without the schedule's age */
	for (int narrow = 0; narrow < 2; narrow++) {
		footer_text(k, in, narrow, msg, sizeof(msg));
		if (layout_kit_measure(k, font, size, msg) <= in->width - 3 * m - pw)
			break;
	}
	layout_kit_text(k, m, y + (h - layout_kit_line_h(k, FONT_REGULAR, size)) / 2, font, size,
			fg, msg, in->width - 3 * m - pw);
	if (pw) {
		int lh = layout_kit_line_h(k, FONT_BOLD, size);
		draw_list_text(k->dl, in->width - m - pw, y + (h - lh) / 2, pw, lh, FONT_BOLD, size,
			       fg, label, SIZE_MAX);
	}
	return y;
}

void layout_frame_qr(const struct layout_kit *k, const struct layout_input *in, int right,
		     int bottom, int max_w, int max_h, bool beside, bool draw, int *w, int *h)
{
	*w = *h = 0;
	const struct qr_code *q = in->mobile_qr;
	if (!q || q->side <= 0)
		return;
	const char *caption = i18n_text(k->lang, MSG_ON_YOUR_PHONE);
	int size = layout_kit_px(k, 26), gap = layout_kit_px(k, 16);
	int lines_h = 2 * layout_kit_line_h(k, FONT_REGULAR, size);
	int module = layout_kit_px(k, 5);
	if (module < 3)
		module = 3;
	/* the code's room: beside, what the caption leaves of the width; under,
	 * what two lines of caption leave of the height */
	int cw = layout_kit_measure(k, FONT_REGULAR, size, caption);
	int room_w = beside ? max_w - gap - (cw < max_w / 2 ? cw : max_w / 2) : max_w;
	int room_h = beside ? max_h : max_h - gap / 2 - lines_h;
	while (module > 3 &&
	       (qr_code_side_px(q, module) > room_w || qr_code_side_px(q, module) > room_h))
		module--;
	int qs = qr_code_side_px(q, module);
	if (qs > room_w || qs > room_h)
		return; /* a phone could not read it here: none rather than a blur */
	*w = beside ? max_w : qs;
	*h = beside ? qs : qs + gap / 2 + lines_h;
	if (!draw)
		return;
	int x = right - qs, y = bottom - *h;
	qr_code_draw(q, k->dl, x, y, module);
	if (beside) {
		int tw = x - gap - (right - *w);
		int th = layout_kit_wrap(k, 0, 0, FONT_REGULAR, size, k->th->muted, caption, tw, 2,
					 false);
		int tx = x - gap - (cw < tw ? cw : tw);
		layout_kit_wrap(k, tx, y + (qs - th) / 2, FONT_REGULAR, size, k->th->muted, caption,
				tw, 2, true);
	} else {
		layout_kit_wrap(k, x, y + qs + gap / 2, FONT_REGULAR, size, k->th->muted, caption,
				qs, 2, true);
	}
}
