// The command registry: add a command by importing its module here.

import type { Command } from "../io.js";
import { checkCommand } from "./check.js";
import { evalCommand } from "./eval.js";
import { fmtCommand } from "./fmt.js";
import { testCommand } from "./test.js";

export const COMMANDS: Command[] = [checkCommand, fmtCommand, evalCommand, testCommand];
