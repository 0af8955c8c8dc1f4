import { autoStart, ownScript } from './auto.js';
import { injectStyles } from './render/styles.js';
import { Widget } from './widget.js';

/** The classic-script build: window.Levers, started from its own script tag. */
const Levers = new Widget();
(globalThis as { Levers?: Widget }).Levers = Levers;
injectStyles();
autoStart(Levers, ownScript());
