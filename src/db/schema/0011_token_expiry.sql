-- API tokens expire: a token made from now on carries the time it stops
-- working (token create --expires, 90 days by default); one made before has
-- none and works until revoked. Rotating a token gives it a new secret and
-- a new term.
ALTER TABLE token ADD COLUMN expires TEXT;
