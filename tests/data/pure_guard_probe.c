/* Must not compile: a pure module may not include curl (tests/CMakeLists.txt). */
#include <curl/curl.h>
int probe(void);
int probe(void)
{
	return 0;
}
