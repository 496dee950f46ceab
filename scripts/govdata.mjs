#!/usr/bin/env node
// The `govdata` bin: runs the TypeScript command line through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./govdata.ts');
