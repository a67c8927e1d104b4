-- A destination's platform as configured (issue #21: youtube, twitch, facebook, kick, custom); NULL: recognised
-- from the URL's host.
ALTER TABLE destinations ADD COLUMN platform VARCHAR(16);
