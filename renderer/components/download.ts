/** Saves a file through a Blob and a temporary link: the browser's download (the host has no file dialog). */
export function downloadFile(filename: string, mimeType: string, content: string | Uint8Array): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The same for a file that arrives as base64 (exports built by the worker). */
export function downloadBase64(filename: string, mimeType: string, base64: string): void {
  downloadFile(filename, mimeType, Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}
