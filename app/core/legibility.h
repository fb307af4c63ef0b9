/* legibility: how large a screen's letters must be for readers at a distance
 * — the signage rule of thumb, 25 mm of letter height per 3 m — in pixels of
 * one panel. A letter's height is its capital height (an 'H', baseline to
 * top), which the shell measures from the font as a fraction of the font's
 * pixel size. Pure. */
#ifndef VB_LEGIBILITY_H
#define VB_LEGIBILITY_H

/* Millimetres of letter height readers at distance_m need. */
double legibility_letter_mm(double distance_m);

/* Pixels per millimetre of a w x h pixel panel of diagonal_in inches
 * (square pixels); 0 when not known (a size or diagonal of 0). */
double legibility_px_per_mm(int w, int h, double diagonal_in);

/* The smallest font size in pixels whose capitals (cap_ratio of the size)
 * are legibility_letter_mm(distance_m) tall at px_per_mm; 0 when any input
 * is 0 (nothing to check). */
int legibility_min_size(double distance_m, double px_per_mm, double cap_ratio);

/* The distance in metres from which capitals of a font size_px pixels are
 * read, the other way round. */
double legibility_distance_m(int size_px, double px_per_mm, double cap_ratio);

#endif
