/** Tests talk only to engines on this machine: refuse any endpoint whose host is not a loopback address. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return hostname === 'localhost' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function assertLoopbackEndpoint(endpoint: string, what = 'endpoint'): string {
  if (!isLoopbackEndpoint(endpoint)) {
    throw new Error(`Refusing ${what} ${JSON.stringify(endpoint)} in tests: only loopback addresses (127.0.0.0/8, localhost, ::1) are allowed`);
  }
  return endpoint;
}
