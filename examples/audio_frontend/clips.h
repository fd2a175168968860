/* clips.h - the example's test clips (made by make_models.py; audio.py: label,
 * oscillator coefficient c (2 cos(w), Q14), first sample y1, noise amplitude, seed). */
#define AUDIO_CLIPS 8
static const int32_t audio_clips[AUDIO_CLIPS][5] = {
    {0, 32280, 0, 20, (int32_t)11u},
    {1, 32541, 705, 100, (int32_t)12u},
    {3, 6393, 4904, 150, (int32_t)13u},
    {0, 32280, 0, 9000, (int32_t)14u},
    {1, 32323, 1642, 300, (int32_t)15u},
    {3, 17121, 2558, 50, (int32_t)16u},
    {2, 30274, 1531, 200, (int32_t)17u},
    {2, 27939, 4702, 600, (int32_t)18u},
};
#define FEATURE_DIV 1024.0
