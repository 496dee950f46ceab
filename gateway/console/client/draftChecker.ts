/** What the separately loaded draft checker offers the editor. */
export interface DraftChecker {
  /** Problems of a draft as typed, each naming its field; none when it reads well. */
  problems(text: string): string[];
  /** An entry document (JSON, as the API gives it) as YAML to edit. */
  toYaml(json: string): string;
}

let loading: Promise<DraftChecker> | null = null;

/** Loads `draft-check.js` once (a script of this origin, as the page's policy allows). */
export function loadDraftChecker(): Promise<DraftChecker> {
  loading ??= new Promise<DraftChecker>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/console/draft-check.js';
    script.onload = () =>
      resolve((window as unknown as { govdataDraftChecker: DraftChecker }).govdataDraftChecker);
    script.onerror = () => {
      loading = null;
      reject(new Error('the draft checker could not be loaded'));
    };
    document.head.append(script);
  });
  return loading;
}
