/* kiosk_clock: the board's clock and whether it may be trusted — the wall
 * clock (corrected by the schedule server's Date under time-source feed or
 * auto), a replayed day (--clock-start), or --at for a screenshot; a kiosk
 * that boots with a flat RTC battery shows no programme until it is set. */
#ifndef VB_KIOSK_CLOCK_H
#define VB_KIOSK_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"

struct kiosk_config;

/* Plain state, owned by the caller (kiosk_clock_init); nothing to free. */
struct kiosk_clock {
	const struct kiosk_config *cfg; /* borrowed for the clock's life */
	enum log_level log;
	int64_t mono0_ms;  /* the monotonic clock when the replayed day starts */
	bool trusted;      /* the programme may be shown */
	int64_t offset_ms; /* time-source feed: the server's Date minus our clock */
};

/* The monotonic clock and the wall clock (UTC), in ms. */
int64_t kiosk_clock_mono_ms(void);
int64_t kiosk_clock_wall_ms(void);

/* cfg is borrowed for the clock's life; the replayed day starts now. */
void kiosk_clock_init(struct kiosk_clock *c, const struct kiosk_config *cfg, enum log_level log);

/* The board's time (UTC ms). */
int64_t kiosk_clock_now(const struct kiosk_clock *c);

/* Trusts the clock once it may be (time-source system, a replayed day, a
 * screenshot, or NTP has set it); says so once. */
void kiosk_clock_check(struct kiosk_clock *c);

/* The schedule server's Date (UTC s, 0: none): the venue's time under
 * time-source feed, or auto until NTP has set the clock. */
void kiosk_clock_take_date(struct kiosk_clock *c, int64_t server_date_s);

#endif
