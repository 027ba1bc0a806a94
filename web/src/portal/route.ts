// Which portal page a path is, and its token (no router library: the
// portal reads window.location itself).
export function route(pathname: string): { page: 'portal' | 'pay' | 'unsubscribe' | 'invalid'; token: string } {
  const match = /^\/(p|pay|unsubscribe)\/([^/?#]+)\/?$/.exec(pathname);
  if (!match) return { page: 'invalid', token: '' };
  const page = match[1] === 'p' ? 'portal' : match[1] === 'pay' ? 'pay' : 'unsubscribe';
  return { page, token: decodeURIComponent(match[2]) };
}
