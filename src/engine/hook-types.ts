import type {RegisterResult} from './types.js'

/** Lets `config.runHook('xenready:register', ...)` and plugin hooks type-check. */
declare module '@oclif/core' {
  interface Hooks {
    'xenready:register': {
      options: {apiVersion: number}
      return: RegisterResult
    }
  }
}
