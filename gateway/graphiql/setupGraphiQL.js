/* global React, ReactDOM, GraphiQL, document, fetch, URLSearchParams */
// GraphiQL for the platform, in the browser. Its settings come from the page
// (a JSON block the gateway writes), so this file is served as it is and the
// page's content security policy needs no inline script.
(function setupGraphiQL() {
  const config = JSON.parse(document.getElementById('graphiql-config').textContent);
  const h = React.createElement;
  const headersWith = (token) =>
    JSON.stringify(
      token
        ? { Authorization: `Bearer ${token}`, 'X-Purpose': config.purpose }
        : { 'X-Purpose': config.purpose },
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

  function Page() {
    const [headers, setHeaders] = React.useState(headersWith(null));
    const fetcher = React.useMemo(() => GraphiQL.createFetcher({ url: config.graphqlPath }), []);
    return h(
      React.Fragment,
      null,
      h(
        'div',
        { id: 'platform-bar' },
        config.devTokens
          ? h(DevTokenBar, { onToken: (token) => setHeaders(headersWith(token)) })
          : null,
        h('span', { className: 'how-to' }, config.howToGetAToken),
      ),
      h(
        'div',
        { id: 'graphiql' },
        h(GraphiQL, {
          fetcher,
          defaultQuery: config.query,
          variables: config.variables,
          headers,
          isHeadersEditorEnabled: true,
          defaultEditorToolsVisibility: 'headers',
          shouldPersistHeaders: false,
        }),
      ),
    );
  }

  ReactDOM.createRoot(document.getElementById('root')).render(h(Page));
})();
