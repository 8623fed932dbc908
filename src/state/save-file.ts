/** How long the object URL of a saved file stays valid: the browser may start the download after the click returns. */
const REVOKE_AFTER_MS = 60_000;

/** Hands a file to the browser's downloads, through a temporary `<a download>`: no server and no permission needed. */
export function downloadFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
