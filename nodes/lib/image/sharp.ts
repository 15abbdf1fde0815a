import sharp from 'sharp';

// Every frame is a new image, so libvips' operation cache (the last 100 operations by default) never
// gets a hit: it only keeps the inputs of those operations alive. Off for the whole process (libvips
// has one cache), which costs nothing to other users of sharp that do not repeat identical operations.
sharp.cache(false);

/** sharp, set up for video frames: import it from here, not from 'sharp'. */
export default sharp;
export type { Metadata } from 'sharp';
