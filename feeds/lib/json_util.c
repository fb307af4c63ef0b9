/* json_util: thin, allocation-free helpers over cJSON. */
#include "json_util.h"

#include "text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t';
}

/* True when cJSON stopped at buf[off] because an array or object opens there
 * past CJSON_NESTING_LIMIT levels (its guard against stack exhaustion): it
 * says only where it stopped, so the depth is counted again up to there. */
static bool too_deep_at(const char *buf, size_t len, size_t off)
{
	if (off >= len || (buf[off] != '[' && buf[off] != '{'))
		return false;
	size_t prev = off; /* a value must be allowed there, or it is a syntax error */
	while (prev > 0 && is_space(buf[prev - 1]))
		prev--;
	if (prev == 0 || (buf[prev - 1] != '[' && buf[prev - 1] != ',' && buf[prev - 1] != ':'))
		return false;
	size_t depth = 0;
	bool in_string = false;
	for (size_t i = 0; i < off; i++) {
		if (in_string) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				in_string = false;
		} else if (buf[i] == '"') {
			in_string = true;
		} else if (buf[i] == '[' || buf[i] == '{') {
			depth++;
		} else if ((buf[i] == ']' || buf[i] == '}') && depth > 0) {
			depth--;
		}
	}
	return depth >= CJSON_NESTING_LIMIT;
}

cJSON *json_util_parse(const char *buf, size_t len, struct feed_error *e)
{
	text_skip_bom(&buf, &len);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
	if (root)
		return root;
	size_t off = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : len;
	int line, col;
	feed_error_position(buf, len, off, &line, &col);
	size_t used = len; /* cJSON stops at or just before the end of a cut file */
	while (used > 0 && is_space(buf[used - 1]))
		used--;
	if (too_deep_at(buf, len, off))
		feed_error_set(e,
			       "line %d, column %d: nested too deeply: more than %d levels of "
			       "arrays and objects",
			       line, col, CJSON_NESTING_LIMIT);
	else if (off + 1 >= used)
		feed_error_set(e, "line %d, column %d: the JSON ends too early (truncated file?)",
			       line, col);
	else
		feed_error_set(e, "line %d, column %d: not valid JSON here", line, col);
	return NULL;
}

const char *json_util_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void json_util_pick(const cJSON *obj, const char *const *keys, size_t n, const cJSON **vals)
{
	for (size_t i = 0; i < n; i++)
		vals[i] = NULL;
	if (!cJSON_IsObject(obj))
		return;
	for (const cJSON *m = obj->child; m; m = m->next) {
		if (!m->string)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (!vals[i] && m->string[0] == keys[i][0] &&
			    strcmp(m->string, keys[i]) == 0) {
				vals[i] = m;
				break;
			}
		}
	}
}

const char *json_util_strv(const cJSON *v)
{
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *json_util_id(const cJSON *obj, const char *key, char *out, size_t cap)
{
	return json_util_idv(cJSON_GetObjectItemCaseSensitive(obj, key), out, cap);
}

const char *json_util_idv(const cJSON *v, char *out, size_t cap)
{
	if (cJSON_IsString(v) && v->valuestring[0]) {
		snprintf(out, cap, "%s", v->valuestring);
		return out;
	}
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	    v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 1e15) {
		snprintf(out, cap, "%.0f", v->valuedouble);
		return out;
	}
	return NULL;
}

bool json_util_true(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsTrue(v) || (cJSON_IsString(v) && strcmp(v->valuestring, "true") == 0);
}

bool json_util_has_nul(const char *buf, size_t len)
{
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '"') {
			in_string = !in_string;
		} else if (in_string && buf[i] == '\\' && i + 1 < len) {
			if (buf[i + 1] == 'u' && i + 5 < len && memcmp(buf + i + 2, "0000", 4) == 0)
				return true;
			i++; /* the escaped character, a quote or a backslash included */
		}
	}
	return false;
}

/* One reference token of a pointer, unescaped into tok (cap bytes); the
 * end of the token in *next. False when malformed or too long. */
static bool pointer_token(const char *p, char *tok, size_t cap, const char **next)
{
	size_t n = 0;
	for (; *p && *p != '/'; p++) {
		char ch = *p;
		if (ch == '~') {
			if (p[1] != '0' && p[1] != '1')
				return false;
			ch = *++p == '0' ? '~' : '/';
		}
		if (n + 1 >= cap)
			return false;
		tok[n++] = ch;
	}
	tok[n] = '\0';
	*next = p;
	return true;
}

/* An array index as RFC 6901 writes it: digits, no leading zero. */
static const cJSON *array_item(const cJSON *a, const char *tok)
{
	size_t n = strlen(tok);
	if (n == 0 || n > 9 || (n > 1 && tok[0] == '0'))
		return NULL;
	int i = 0;
	for (size_t k = 0; k < n; k++) {
		if (tok[k] < '0' || tok[k] > '9')
			return NULL;
		i = i * 10 + (tok[k] - '0');
	}
	return cJSON_GetArrayItem(a, i);
}

const cJSON *json_util_pointer(const cJSON *root, const char *ptr)
{
	char tok[512];
	const cJSON *v = root;
	if (!ptr || (*ptr && *ptr != '/'))
		return NULL;
	while (v && *ptr == '/') {
		if (!pointer_token(ptr + 1, tok, sizeof(tok), &ptr))
			return NULL;
		if (cJSON_IsArray(v))
			v = array_item(v, tok);
		else if (cJSON_IsObject(v))
			v = cJSON_GetObjectItemCaseSensitive(v, tok);
		else
			v = NULL;
	}
	return v;
}
