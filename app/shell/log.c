/* log: formatting only; where the line goes is standard error, which systemd
 * puts in the journal with its own time stamps. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = {"ERROR", "WARN", "INFO", "DEBUG"};

bool log_level_parse(const char *s, enum log_level *out)
{
	static const char *const lower[] = {"error", "warn", "info", "debug"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, lower[i]) == 0) {
			*out = (enum log_level)i;
			return true;
		}
	return false;
}

void log_line(enum log_level threshold, enum log_level level, const char *module, const char *fmt,
	      ...)
{
	if (level > threshold)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* one write per line, so lines from a crash handler or a child never mix */
	fprintf(stderr, "venueboard: %s: %s: %s\n", names[level], module, msg);
}
