/* server_log: format, escape, write once. */
#include "server_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void server_log_line(const char *level, const char *text)
{
	char line[1200];
	int o = snprintf(line, sizeof(line), "venueboard-server: %s: ", level);
	for (const unsigned char *p = (const unsigned char *)text; *p && o < (int)sizeof(line) - 6;
	     p++) {
		if (*p < 0x20 || *p == 0x7F)
			o += snprintf(line + o, sizeof(line) - (size_t)o, "\\x%02x", *p);
		else
			line[o++] = (char)*p;
	}
	line[o++] = '\n';
	for (ssize_t done = 0, w; done < o; done += w)
		if ((w = write(2, line + done, (size_t)(o - done))) <= 0)
			break;
}

void server_log(const char *level, const char *fmt, ...)
{
	char text[1000];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	server_log_line(level, text);
}
