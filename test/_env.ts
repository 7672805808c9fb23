import { join } from 'node:path';

/**
 * HOME and the XDG base directories, all under `dir` (`home`, `cache`,
 * `data`, `config`), so that a test never reads or writes the user's own
 * store, cache or agent settings.
 */
export function homeEnv(dir: string): {
  HOME: string;
  XDG_CACHE_HOME: string;
  XDG_DATA_HOME: string;
  XDG_CONFIG_HOME: string;
} {
  return {
    HOME: join(dir, 'home'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
  };
}
