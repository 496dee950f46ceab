import { render } from 'preact';
import { App } from './App.tsx';
import './console.css';

const root = document.getElementById('app')!;
// The page's "Loading…" placeholder goes; Preact renders into an empty element.
root.replaceChildren();
render(<App />, root);
