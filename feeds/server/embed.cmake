# Turns a file into a C array at build time: embed.cmake -DIN=... -DOUT=... -DNAME=...
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* generated from ${IN}: do not edit */\n#include <stddef.h>\n"
  "const unsigned char ${NAME}[] = {${bytes} 0};\n"
  "const size_t ${NAME}_len = sizeof(${NAME}) - 1;\n")
