/* kiosk_clock: what venueboard.c's loop and the schedule feed read the time
 * from, kept out of both; the log says once when the clock became trusted. */
#include "kiosk_clock.h"

#include "kiosk_config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define INFO(c, ...) log_line((c)->log, LOG_INFO, "clock", __VA_ARGS__)

int64_t kiosk_clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t kiosk_clock_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kiosk_clock_init(struct kiosk_clock *c, const struct kiosk_config *cfg, enum log_level log)
{
	*c = (struct kiosk_clock){.cfg = cfg, .log = log, .mono0_ms = kiosk_clock_mono_ms()};
}

int64_t kiosk_clock_now(const struct kiosk_clock *c)
{
	if (c->cfg->mode == KIOSK_SCREENSHOT && c->cfg->at_ms)
		return c->cfg->at_ms;
	if (!c->cfg->clock_start_ms) /* the wall clock, corrected by the feed's Date */
		return kiosk_clock_wall_ms() + c->offset_ms;
	return c->cfg->clock_start_ms +
	       (int64_t)((double)(kiosk_clock_mono_ms() - c->mono0_ms) * c->cfg->clock_rate);
}

/* systemd-timesyncd's flag file: it exists once NTP has set the clock. */
static bool ntp_synchronized(void)
{
	return access("/run/systemd/timesync/synchronized", F_OK) == 0;
}

void kiosk_clock_check(struct kiosk_clock *c)
{
	if (c->trusted)
		return;
	const char *src = c->cfg->time_source;
	if (strcmp(src, "system") == 0 || c->cfg->clock_start_ms || c->cfg->mode != KIOSK_RUN) {
		c->trusted = true;
		return;
	}
	if (strcmp(src, "feed") != 0 && ntp_synchronized()) { /* timesync, auto */
		c->trusted = true;
		INFO(c, "clock synchronized (%s): showing the programme", src);
	}
}

/* auto keeps NTP's finer time once it has it: venue networks often block
 * NTP, rarely the organizer's server. */
void kiosk_clock_take_date(struct kiosk_clock *c, int64_t server_date_s)
{
	bool feed = strcmp(c->cfg->time_source, "feed") == 0;
	bool autos = strcmp(c->cfg->time_source, "auto") == 0;
	if (!(feed || autos) || !server_date_s || c->cfg->clock_start_ms)
		return;
	if (autos && ntp_synchronized()) {
		/* NTP has set the system clock: an offset kept from the Date would
		 * now count the correction twice */
		if (c->offset_ms)
			INFO(c, "clock synchronized by NTP: the feed server's Date no longer used");
		c->offset_ms = 0;
		c->trusted = true;
		return;
	}
	int64_t offset = server_date_s * 1000 - kiosk_clock_wall_ms();
	if (offset > -2000 && offset < 2000)
		offset = 0; /* the header has whole seconds: within them, ours is finer */
	if (!c->trusted || llabs(offset - c->offset_ms) > 5000)
		INFO(c, "clock taken from the feed server's Date: ours is off by %lld s",
		     (long long)(offset / 1000));
	c->offset_ms = offset;
	c->trusted = true;
}
