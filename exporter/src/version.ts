/** The exporter's version, as published in timescope_exporter_build_info and printed by --version. */
export const VERSION = '0.1.0';
