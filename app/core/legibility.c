/* legibility: 25 mm per 3 m is the usual signage figure (about 1 inch per
 * 10 feet, the ADA and most wayfinding guides; some ask half again for
 * people with low vision). */
#include "legibility.h"

#include <math.h>

static const double MM_PER_M = 25.0 / 3.0;

double legibility_letter_mm(double distance_m)
{
	return distance_m > 0 ? distance_m * MM_PER_M : 0;
}

double legibility_px_per_mm(int w, int h, double diagonal_in)
{
	if (w <= 0 || h <= 0 || !(diagonal_in > 0))
		return 0;
	return sqrt((double)w * w + (double)h * h) / (diagonal_in * 25.4);
}

int legibility_min_size(double distance_m, double px_per_mm, double cap_ratio)
{
	if (!(distance_m > 0) || !(px_per_mm > 0) || !(cap_ratio > 0))
		return 0;
	/* a hair under: 39.0000001 px of capitals is 39 px */
	return (int)ceil(legibility_letter_mm(distance_m) * px_per_mm / cap_ratio - 1e-9);
}

double legibility_distance_m(int size_px, double px_per_mm, double cap_ratio)
{
	if (size_px <= 0 || !(px_per_mm > 0))
		return 0;
	return size_px * cap_ratio / px_per_mm / MM_PER_M;
}
