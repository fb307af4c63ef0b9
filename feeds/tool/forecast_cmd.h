/* forecast_cmd: `venueboard-feed forecast` (contracts section 6). */
#ifndef VB_FORECAST_CMD_H
#define VB_FORECAST_CMD_H

/* forecast --schedule FILE [--timezone AREA/CITY] [--every SECONDS]
 * [--horizon MINUTES]... [SAMPLES|-]: argv holds the options and operands
 * after the command name; returns an exit code. */
int forecast_cmd(int argc, char **argv);

#endif
