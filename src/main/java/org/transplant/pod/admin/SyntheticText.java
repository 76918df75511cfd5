package org.transplant.pod.admin;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The vocabulary of synthetic content: words, tags, names and hosts, and the texts made of them. Everything is
 * drawn from the random given, so a seed replays the same texts.
 */
final class SyntheticText {

    static final List<String> TAGS = List.of(
            "photography",
            "music",
            "cats",
            "hiking",
            "cooking",
            "linux",
            "opensource",
            "privacy",
            "diaspora",
            "books",
            "gardening",
            "coffee",
            "travel",
            "science",
            "art",
            "climbing",
            "cycling",
            "running",
            "movies",
            "history",
            "knitting",
            "birds",
            "astronomy",
            "chess",
            "baking",
            "poetry",
            "federation",
            "sunset",
            "architecture",
            "jazz");

    static final List<String> FIRST_NAMES = List.of(
            "maria", "john", "aisha", "kenji", "olga", "pedro", "fatima", "liam", "chloe", "ravi", "sofia", "noah",
            "emma", "yusuf", "mei", "lucas", "anna", "omar", "ines", "jonas", "lea", "mateo", "nora", "arjun", "hana",
            "felix", "zoe", "ivan", "clara", "samir", "elena", "tomas", "julia", "kofi", "marta", "leon", "amelie",
            "diego", "sara", "hugo", "ida", "malik", "rosa", "erik", "lina", "paolo", "greta", "tariq", "vera",
            "oscar");

    static final List<String> LAST_NAMES = List.of(
            "garcia", "smith", "khan", "tanaka", "ivanova", "silva", "haddad", "murphy", "martin", "patel", "rossi",
            "brown", "schmidt", "yilmaz", "chen", "moreau", "berg", "ali", "costa", "novak", "fischer", "lopez",
            "nielsen", "sharma", "kim", "weber", "dubois", "petrov", "santos", "jensen");

    static final List<String> HOSTS = List.of(
            "pod1.example.org",
            "pod2.example.net",
            "pod3.example.net",
            "pod4.example.com",
            "social.example.org",
            "diaspora.example.net",
            "joindiaspora.example.com",
            "pod5.example.org");

    static final List<String> CITIES = List.of(
            "Lisbon",
            "Berlin",
            "Nairobi",
            "Osaka",
            "Montreal",
            "Porto Alegre",
            "Helsinki",
            "Pune",
            "Leeds",
            "Valparaíso",
            "Tbilisi",
            "Ghent",
            "Hobart",
            "Tromsø",
            "Oaxaca");

    private static final String[] WORDS = ("the a an and but or so because while after before today yesterday "
                    + "tomorrow really quite very just still always never often sometimes morning evening night weekend "
                    + "summer winter spring autumn rain snow sun wind river mountain city village garden kitchen street "
                    + "market train bus bike walk run read write cook bake paint sing play listen watch learn build fix "
                    + "open close start finish love like enjoy miss hope think know feel see hear find share post photo "
                    + "picture song book movie coffee tea bread soup cake friend family neighbour cat dog bird tree "
                    + "flower sky light window door table chair letter idea plan project code bug release server pod "
                    + "network people community world home work time day week year moment story question answer news "
                    + "little big old new good great quiet loud warm cold green blue red golden slow fast early late "
                    + "finally again together alone outside inside here there with without about from into over under "
                    + "through around near far first last next other every some many few more less best better")
            .split(" ");

    private static final String[] SUBJECT_OPENERS = {
        "About",
        "Re:",
        "Plans for",
        "Question about",
        "Photos from",
        "Thoughts on",
        "Meeting",
        "Help with",
        "News about",
        "Ideas for"
    };

    private SyntheticText() {}

    /** A post of 5 to 60 words, shorter ones more likely, now and then with #tags, a mention or a link. */
    static String post(SplittableRandom random) {
        double skew = random.nextDouble();
        int words = 5 + (int) (55 * skew * skew);
        StringBuilder text = sentences(random, words);
        if (random.nextInt(100) < 10) {
            text.append(' ').append(mention(random));
        }
        if (random.nextInt(100) < 5) {
            text.append(" https://")
                    .append(pick(random, HOSTS))
                    .append("/posts/")
                    .append(random.nextInt(1_000_000));
        }
        if (random.nextInt(100) < 30) {
            int tags = 1 + random.nextInt(3);
            for (int i = 0; i < tags; i++) {
                text.append(" #").append(pick(random, TAGS));
            }
        }
        return text.toString();
    }

    static String comment(SplittableRandom random) {
        return sentences(random, 3 + random.nextInt(23)).toString();
    }

    static String message(SplittableRandom random) {
        return sentences(random, 3 + random.nextInt(38)).toString();
    }

    static String caption(SplittableRandom random) {
        return sentences(random, 2 + random.nextInt(8)).toString();
    }

    static String subject(SplittableRandom random) {
        StringBuilder subject = new StringBuilder(SUBJECT_OPENERS[random.nextInt(SUBJECT_OPENERS.length)]);
        int words = 1 + random.nextInt(4);
        for (int i = 0; i < words; i++) {
            subject.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return subject.toString();
    }

    /** diaspora*'s mention markup, naming a person who need not be a contact. */
    static String mention(SplittableRandom random) {
        String first = pick(random, FIRST_NAMES);
        String last = pick(random, LAST_NAMES);
        return "@{" + capitalize(first) + " " + capitalize(last) + "; " + first + random.nextInt(1000) + "@"
                + pick(random, HOSTS) + "}";
    }

    static String displayName(String first, String last) {
        return capitalize(first) + " " + capitalize(last);
    }

    static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Words grouped into sentences of 4 to 14 words, each capitalized and closed with a period. */
    private static StringBuilder sentences(SplittableRandom random, int words) {
        StringBuilder text = new StringBuilder(words * 7);
        int left = 0;
        for (int i = 0; i < words; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (left == 0) {
                if (i > 0) {
                    text.append(". ");
                }
                text.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
                left = 4 + random.nextInt(11);
            } else {
                text.append(' ').append(word);
            }
            left--;
        }
        return text.append('.');
    }
}
