-- Reserved for work in progress this session; replaced by its real statements or removed before the session ends.
SELECT 1;
