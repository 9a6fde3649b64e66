// The three semver functions the plugins use, imported one by one: the package's index also builds
// every range and comparator class, a third of the register hook's load time.
export {default as coerce} from 'semver/functions/coerce.js'
export {default as lt} from 'semver/functions/lt.js'
export {default as parse} from 'semver/functions/parse.js'
