/* pentabarf_xml: reads pentabarf / frab schedule.xml as FOSDEM publishes it (libxml2). */
#ifndef VB_PENTABARF_XML_H
#define VB_PENTABARF_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "feed.h"

/* Reads buf[0..len) into *out (caller owns; schedule_destroy). Lenient with
 * what real exporters write; fails, naming the line or field, on what cannot
 * be read. On failure *out is NULL. */
bool pentabarf_xml_parse(const char *buf, size_t len, const struct feed_options *opt,
			 struct schedule **out, struct feed_error *e);

#endif
