// Package config defines maillage's configuration: defaults, MAILLAGE_*
// environment variables, command-line flags (which win), and validation that
// reports every problem at once. There is no global configuration: a Config
// value is passed to whatever needs it.
package config
