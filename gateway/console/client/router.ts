import { useEffect, useState } from 'preact/hooks';

/** Where the page is: the hash's path and query (`#/entry/PS-POP-001?x=1`). */
export interface Place {
  path: string;
  params: URLSearchParams;
}

function placeOf(hash: string): Place {
  const [path = '/', query = ''] = hash.replace(/^#/, '').split('?');
  return { path: path || '/', params: new URLSearchParams(query) };
}

/** The current place, following the hash; pages are addressable and the back button works. */
export function usePlace(): Place {
  const [place, setPlace] = useState(() => placeOf(location.hash));
  useEffect(() => {
    const follow = () => setPlace(placeOf(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return place;
}

export function go(path: string): void {
  location.hash = path;
}
