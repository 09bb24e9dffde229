#!/usr/bin/env node
// The operator's entry point. TypeScript sources run through tsx's loader: no build step.
import { register } from 'tsx/esm/api'

register()
await import('../server/cli/main.ts')
