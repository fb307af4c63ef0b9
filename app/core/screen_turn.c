/* screen_turn: one rule for --size, orientation and rotation, so a portrait
 * picture is never turned twice into a sideways board. */
#include "screen_turn.h"

#include "kiosk_config.h"

static const char *shape(int w, int h)
{
	return w > h ? "landscape" : w < h ? "portrait" : "square";
}

/* The picture's shape contradicts the orientation asked (a square fits both). */
static bool contradicts(enum kiosk_orientation o, int w, int h)
{
	return (o == KIOSK_ORIENT_PORTRAIT && w > h) || (o == KIOSK_ORIENT_LANDSCAPE && w < h);
}

static const char *orientation_name(enum kiosk_orientation o)
{
	return o == KIOSK_ORIENT_PORTRAIT ? "portrait" : "landscape";
}

bool screen_turn_resolve(const struct kiosk_config *c, int panel_w, int panel_h,
			 struct screen_turn *out, struct feed_error *e)
{
	int r = c->rotation;
	if (r != -1 && r != 0 && r != 90 && r != 180 && r != 270)
		return feed_error_set(e, "rotation: %d is not 0, 90, 180 or 270", r);
	if (panel_w <= 0 || panel_h <= 0) {
		if (c->width <= 0 || c->height <= 0)
			return feed_error_set(e, "--size: needed when the panel's size is unknown");
		if (contradicts(c->orientation, c->width, c->height))
			return feed_error_set(
				e,
				"orientation %s contradicts --size %dx%d, a %s "
				"picture (--size is the picture as the viewer sees it)",
				orientation_name(c->orientation), c->width, c->height,
				shape(c->width, c->height));
		out->rotation = r < 0 ? 0 : r;
		out->picture_w = c->width;
		out->picture_h = c->height;
	} else {
		if (r < 0) /* only the orientation: turn a panel of the other shape */
			r = contradicts(c->orientation, panel_w, panel_h) ? 90 : 0;
		bool turned = r == 90 || r == 270;
		int w = turned ? panel_h : panel_w, h = turned ? panel_w : panel_h;
		if (contradicts(c->orientation, w, h))
			return feed_error_set(e,
					      "orientation %s contradicts rotation %d on this "
					      "%dx%d panel: the viewer would see a %s picture",
					      orientation_name(c->orientation), r, panel_w, panel_h,
					      shape(w, h));
		out->rotation = r;
		out->picture_w = w;
		out->picture_h = h;
	}
	bool turned = out->rotation == 90 || out->rotation == 270;
	out->panel_w = turned ? out->picture_h : out->picture_w;
	out->panel_h = turned ? out->picture_w : out->picture_h;
	return true;
}
