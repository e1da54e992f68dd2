package config

import "log/slog"

// SlogLevel maps PGRST_LOG_LEVEL (crit, error, warn, info, debug) to a slog level; crit
// logs as little as error does.
func SlogLevel(level string) slog.Level {
	switch level {
	case "debug":
		return slog.LevelDebug
	case "info":
		return slog.LevelInfo
	case "warn":
		return slog.LevelWarn
	}
	return slog.LevelError
}
