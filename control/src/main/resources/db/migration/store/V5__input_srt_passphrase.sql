-- An input's optional SRT passphrase (issue #9), sealed like the stream key (SecretCipher, column as associated
-- data); NULL: SRT connections to the input are not encrypted.
ALTER TABLE inputs ADD COLUMN srt_passphrase VARCHAR(512);
