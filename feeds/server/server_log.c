/* server_log: format, escape, write once. */
#include "server_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The length of a character at p that a terminal or a log viewer would
 * take for a line's end or an order of its own, 0 for any other: C1
 * controls (U+0080-U+009F, NEL among them), the line and paragraph
 * separators (U+2028, U+2029), and the bidirectional overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069) that show a line other than it is. */
static int unsafe_utf8(const unsigned char *p, unsigned *cp)
{
	if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
		*cp = p[1];
		return 2;
	}
	if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xA8 && p[2] <= 0xAE) {
		*cp = 0x2000u + (p[2] - 0x80u);
		return 3;
	}
	if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9) {
		*cp = 0x2040u + (p[2] - 0x80u);
		return 3;
	}
	return 0;
}

void server_log_line(const char *level, const char *text)
{
	char line[1200];
	int o = snprintf(line, sizeof(line), "venueboard-server: %s: ", level);
	for (const unsigned char *p = (const unsigned char *)text; *p && o < (int)sizeof(line) - 8;
	     p++) {
		unsigned cp;
		int n = unsafe_utf8(p, &cp);
		if (n) {
			o += snprintf(line + o, sizeof(line) - (size_t)o, "\\u%04x", cp);
			p += n - 1;
		} else if (*p < 0x20 || *p == 0x7F) {
			o += snprintf(line + o, sizeof(line) - (size_t)o, "\\x%02x", *p);
		} else {
			line[o++] = (char)*p;
		}
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
