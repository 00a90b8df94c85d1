package commands

import "errors"

// Told marks err as already explained to the person who asked: the bot
// logs it but sends no second message. Told(nil) is nil.
func Told(err error) error {
	if err == nil {
		return nil
	}
	return toldError{err}
}

// WasTold reports whether the person behind err has already been told.
func WasTold(err error) bool {
	var t toldError
	return errors.As(err, &t)
}

type toldError struct{ error }

func (e toldError) Unwrap() error { return e.error }
