/** A picture as raw RGB pixels, row-major (a camera's person-free view, to draw heat over). */
export interface RawPicture {
  width: number;
  height: number;
  pixels: Buffer;
}
