/** What the gateway wrote into the page: where the API is, and which sign-ins it offers. */
export interface ConsoleConfig {
  graphqlPath: string;
  /** Offered only when the platform verifies tokens with its development secret. */
  devSignIn: { roles: string[] } | null;
  /** The route starting an OpenID Connect sign-in, when a provider is configured. */
  oidcSignIn: string | null;
  /** The platform's time zone (TIME_ZONE): "today" and the charts' days are civil days there. */
  timeZone?: string;
}

export const config = JSON.parse(
  document.getElementById('console-config')?.textContent ?? '{}',
) as ConsoleConfig;
