/**
 * The container name in Docker's /var/lib/docker/containers/<id>/config.v2.json
 * (`"Name":"/web-1"` → `web-1`); undefined when not JSON or nameless.
 */
export function dockerConfigName(text: string): string | undefined {
  try {
    const doc = JSON.parse(text) as { Name?: unknown };
    return typeof doc.Name === 'string' && doc.Name.replace(/^\//, '') !== '' ? doc.Name.replace(/^\//, '') : undefined;
  } catch {
    return undefined;
  }
}
