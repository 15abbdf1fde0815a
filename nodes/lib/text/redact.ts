/**
 * Hides secrets in text that may reach a log, a status line or an error message: the user-info
 * part of any URL (`rtsp://user:pass@host` -> `rtsp://***@host`) and any literal secret given
 * (ffmpeg sometimes echoes parts of the URL on its own).
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@');
  for (const secret of secrets) {
    if (secret && secret.length >= 3) {
      out = out.split(secret).join('***');
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join('***');
    }
  }
  return out;
}
