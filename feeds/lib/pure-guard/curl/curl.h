/* Pure feed code must not depend on the display or the network. */
#error "curl/curl.h is not allowed in a pure module (see STYLE.md: pure core, thin I/O shell)"
