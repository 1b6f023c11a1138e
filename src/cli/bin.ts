#!/usr/bin/env node
/** The agentsim program: the command line of the process, on its own streams. */
import { hideBin } from "yargs/helpers";
import { main } from "./main.js";

process.exitCode = await main(hideBin(process.argv), { stdout: process.stdout, stderr: process.stderr });
