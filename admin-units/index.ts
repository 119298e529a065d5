/**
 * Vietnam's administrative units: the 34 provinces and 3,321 commune-level units from 1 July 2025 with their
 * official codes, the units before that day, and which new units took over each old one. The data comes from
 * the PyPI package vietnam-provinces (GPL-3.0-or-later), fetched at setup into `.cache/` and never copied here.
 */
export * from './types';
export * from './normalize';
export * from './units';
export * from './load';
