/* global React, ReactDOM, GraphiQL, document, fetch, URLSearchParams, window */
// GraphiQL for the platform, in the browser. Its settings come from the page
// (a JSON block the gateway writes), so this file is served as it is and the
// page's content security policy needs no inline script.
(function setupGraphiQL() {
  const config = JSON.parse(document.getElementById('graphiql-config').textContent);
  const h = React.createElement;
  // "Try it" from the web console: /graphiql?session=console&tryIt=<grant id>
  // The token is not in the link: it comes from the console's session route.
  const fromLink = new URLSearchParams(window.location.search);
  const withSession = fromLink.get('session') === 'console';
  // With the console's session, the page holds the signed-in person's token, so what it
  // runs, for which purpose and under which grant, comes from the console itself, by way of
  // this origin's storage (TryItLink.tsx), never from the link: any site can write a link,
  // and a query, a purpose or a grant it chose would go out with the victim's roles at the
  // press of Run, and into the audit trail under the victim's name.
  const handedOver = withSession ? tryItOf(fromLink.get('tryIt')) : null;
  const query = withSession ? (handedOver?.query ?? null) : fromLink.get('query');
  const purpose = (withSession ? handedOver?.purpose : fromLink.get('purpose')) || config.purpose;
  const grant = withSession ? (handedOver?.grant ?? null) : fromLink.get('grant');

  /** What the console left for its "try it" link of `grantId`, or null. */
  function tryItOf(grantId) {
    if (!grantId) return null;
    try {
      const left = JSON.parse(window.localStorage.getItem(`govdata-try-it:${grantId}`));
      const text = (value) => (typeof value === 'string' && value !== '' ? value : null);
      if (!left || text(left.grant) !== grantId) return null;
      return { query: text(left.query), purpose: text(left.purpose), grant: grantId };
    } catch {
      return null;
    }
  }
  const headersWith = (token) =>
    JSON.stringify(
      {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(purpose ? { 'X-Purpose': purpose } : {}),
        ...(grant ? { 'X-Grant-Id': grant } : {}),
      },
      null,
      2,
    );

  /** Department and role pickers and the button, on a platform with development keys. */
  function DevTokenBar(props) {
    const [department, setDepartment] = React.useState(config.devTokens.department);
    const [role, setRole] = React.useState(config.devTokens.roles[0]);
    const [status, setStatus] = React.useState('');
    async function mint() {
      setStatus('…');
      try {
        const query = new URLSearchParams({ department, role });
        const response = await fetch(`${config.devTokens.path}?${query}`);
        const body = await response.json();
        if (!response.ok) {
          setStatus(body.error);
          return;
        }
        props.onToken(body.token);
        setStatus(`Headers now carry a ${body.expiresIn} token for ${department} (${role}).`);
      } catch (error) {
        setStatus(`No token: ${error.message}`);
      }
    }
    return h(
      'span',
      { className: 'dev-tokens' },
      h(
        'label',
        null,
        'Department ',
        h('input', {
          value: department,
          size: 16,
          onChange: (event) => setDepartment(event.target.value),
        }),
      ),
      h(
        'label',
        null,
        ' Role ',
        h(
          'select',
          { value: role, onChange: (event) => setRole(event.target.value) },
          config.devTokens.roles.map((r) => h('option', { key: r, value: r }, r)),
        ),
      ),
      ' ',
      h('button', { type: 'button', id: 'dev-token', onClick: mint }, 'Use a development token'),
      ' ',
      h('span', { role: 'status' }, status),
    );
  }

  /**
   * GraphiQL's storage: localStorage, except that a value carrying a bearer
   * token (the history keeps each run's headers, whatever
   * shouldPersistHeaders says) stays in this page's memory only, so no
   * token outlives the tab in the browser's storage.
   */
  const TOKEN = /Bearer\s+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./;
  const inMemory = new Map();
  // With the console's session nothing comes back from the browser's storage either: any site
  // can plant a query there by opening this page with one (without the session) first.
  const browserStorage = withSession
    ? { getItem: () => null, setItem() {}, removeItem() {} }
    : window.localStorage;
  const storage = {
    getItem: (key) => (inMemory.has(key) ? inMemory.get(key) : browserStorage.getItem(key)),
    setItem(key, value) {
      if (TOKEN.test(value) || withSession) {
        inMemory.set(key, value);
        browserStorage.removeItem(key);
      } else {
        inMemory.delete(key);
        browserStorage.setItem(key, value);
      }
    },
    removeItem(key) {
      inMemory.delete(key);
      browserStorage.removeItem(key);
    },
    clear() {
      inMemory.clear();
      for (const key of Object.keys(window.localStorage)) {
        if (key.startsWith('graphiql:')) window.localStorage.removeItem(key);
      }
    },
    get length() {
      if (withSession) return inMemory.size;
      return Object.keys(window.localStorage).filter((k) => k.startsWith('graphiql:')).length;
    },
  };

  function Page() {
    const [token, setToken] = React.useState(null);
    const headers = React.useMemo(() => headersWith(token), [token]);
    React.useEffect(() => {
      if (!withSession) return;
      fetch('/console/auth/session', { headers: { 'x-console': '1' }, cache: 'no-store' })
        .then((response) => response.json())
        .then((session) => session.signedIn && setToken(session.token))
        .catch(() => undefined);
    }, []);
    // No introspection before there is a token (a full one costs more than an anonymous caller's
    // limit); a new fetcher per token, so GraphiQL introspects signed in.
    const fetcher = React.useMemo(
      () =>
        GraphiQL.createFetcher({
          url: config.graphqlPath,
          headers: token ? { Authorization: `Bearer ${token}` } : {},
        }),
      [token],
    );
    return h(
      React.Fragment,
      null,
      h(
        'div',
        { id: 'platform-bar' },
        config.devTokens ? h(DevTokenBar, { onToken: setToken }) : null,
        h('span', { className: 'how-to' }, config.howToGetAToken),
      ),
      h(
        'div',
        { id: 'graphiql' },
        h(GraphiQL, {
          fetcher,
          ...(token ? {} : { schema: null }),
          defaultQuery: config.query,
          ...(query ? { query, variables: '{}' } : { variables: config.variables }),
          headers,
          isHeadersEditorEnabled: true,
          defaultEditorToolsVisibility: 'headers',
          shouldPersistHeaders: false,
          storage,
        }),
      ),
    );
  }

  ReactDOM.createRoot(document.getElementById('root')).render(h(Page));
})();
