# Reports read the other apps' models; they hold no tables of their own yet.
