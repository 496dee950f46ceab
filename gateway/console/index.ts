export { CONSOLE_PATH, consoleRoutes, type ConsoleOptions } from './consoleRoutes.ts';
