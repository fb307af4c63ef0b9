/* alert_screen: an organizer's alert over everything else on the screen, to
 * be read from across a hall — the word ALERT on a plate (translated: never
 * colour alone), the newest alert in the largest type at which it fits
 * whole, since when it stands, and the older ones under it, smaller, newest
 * first, as many as fit, then "+ 2 more". Pure. */
#ifndef VB_ALERT_SCREEN_H
#define VB_ALERT_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "layout_kit.h"

struct fleet_alert;

/* Resets k's draw list to a width x height screen and draws alerts (n > 0,
 * newest first) on it; clock_ok false leaves times out (the clock is not
 * trusted yet). Returns how many of them are on screen (the first ones). */
size_t alert_screen_build(const struct layout_kit *k, int width, int height,
			  const struct fleet_alert *alerts, size_t n, bool clock_ok);

#endif
